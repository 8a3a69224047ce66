package io.tickwave.bots;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed Prometheus text exposition: sample name with its labels (as written, e.g.
 * {@code tickwave_closes_total{code="4008"}}) → value. Immutable; any thread.
 */
record PrometheusText(Map<String, Double> samples) {

    static PrometheusText parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            line = line.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            // name{labels} value [timestamp]; label values may hold spaces, so split after the closing brace.
            int brace = line.lastIndexOf('}');
            int split = line.indexOf(' ', brace < 0 ? 0 : brace);
            if (split < 0) {
                continue;
            }
            String key = line.substring(0, split);
            String[] rest = line.substring(split + 1).trim().split("\\s+");
            try {
                samples.put(key, Double.parseDouble(rest[0]));
            } catch (NumberFormatException e) {
                // not a sample line we understand; skip it
            }
        }
        return new PrometheusText(samples);
    }

    /** The value of a sample: 0 when absent, NaN when nothing was scraped at all. */
    double value(String key) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        Double v = samples.get(key);
        return v == null ? 0 : v;
    }

    /** A counter by its base name, with or without the {@code _total} suffix. */
    double counter(String baseName) {
        Double v = samples.get(baseName + "_total");
        return v != null ? v : value(baseName);
    }

    /** A summary's quantile, e.g. {@code quantile("tickwave_tick_duration_seconds", "0.99")}. */
    double quantile(String name, String q) {
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(name + "{") && k.contains("quantile=\"" + q + "\"")) {
                return e.getValue();
            }
        }
        return Double.NaN;
    }

    /** Samples of a labelled counter by one label's value, e.g. closes by {@code code}. */
    Map<String, Double> byLabel(String baseName, String label) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(baseName + "_total{") || k.startsWith(baseName + "{")) {
                int at = k.indexOf(label + "=\"");
                if (at >= 0) {
                    int from = at + label.length() + 2;
                    out.merge(k.substring(from, k.indexOf('"', from)), e.getValue(), Double::sum);
                }
            }
        }
        return out;
    }
}
