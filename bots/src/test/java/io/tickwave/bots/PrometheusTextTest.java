package io.tickwave.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String TEXT = """
            # HELP tickwave_inputs_total Inputs delivered to games
            # TYPE tickwave_inputs_total counter
            tickwave_inputs_total 1234.0
            tickwave_players 50
            tickwave_closes_total{code="4008"} 3.0
            tickwave_closes_total{code="4010"} 1.0
            tickwave_tick_duration_seconds{quantile="0.5"} 1.5E-4
            tickwave_tick_duration_seconds{quantile="0.99"} 0.00125
            tickwave_tick_duration_seconds_count 900
            """;

    @Test
    void shouldReadCountersGaugesQuantilesAndLabels() {
        PrometheusText p = PrometheusText.parse(TEXT);
        assertEquals(1234.0, p.counter("tickwave_inputs"));
        assertEquals(50, p.value("tickwave_players"));
        assertEquals(0.00125, p.quantile("tickwave_tick_duration_seconds", "0.99"));
        assertEquals(Map.of("4008", 3.0, "4010", 1.0), p.byLabel("tickwave_closes", "code"));
        assertEquals(0, p.counter("tickwave_missing"));
    }

    @Test
    void shouldGiveNaNWhenTheServerSentNothing() {
        PrometheusText p = PrometheusText.parse("");
        assertEquals(Double.NaN, p.counter("tickwave_inputs"));
        assertEquals(Double.NaN, p.quantile("tickwave_tick_duration_seconds", "0.99"));
    }
}
