package io.tickwave.server.loop;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The suffix rule for names already used in a room, on names alone. */
class DistinctNamesTest {

    @Test
    void shouldKeepANameNobodyInTheRoomUses() {
        assertEquals("ann", DistinctNames.distinct("ann", List.of()));
        assertEquals("ann", DistinctNames.distinct("ann", List.of("bob", "anna", "ann (2)")));
    }

    @Test
    void shouldTakeTheFirstFreeSuffix() {
        assertEquals("ann (2)", DistinctNames.distinct("ann", List.of("ann")));
        assertEquals("ann (3)", DistinctNames.distinct("ann", List.of("ann", "ann (2)")));
        assertEquals("ann (2)", DistinctNames.distinct("ann", List.of("ann", "ann (3)")), "a freed suffix is reused");
    }

    @Test
    void shouldTreatCaseAndCompatibilityFormsAsTheSameName() {
        assertEquals("ANN (2)", DistinctNames.distinct("ANN", List.of("ann")));
        assertEquals("\uFF41\uFF4E\uFF4E (2)", DistinctNames.distinct("\uFF41\uFF4E\uFF4E", List.of("Ann")),
                "full-width letters read as the same name");
        assertEquals("Zoe\u0308 (2)", DistinctNames.distinct("Zoe\u0308", List.of("Zo\u00EB")),
                "a decomposed letter is the same as the composed one");
        assertEquals("Ann (3)", DistinctNames.distinct("Ann", List.of("ann", "ANN (2)")));
    }

    @Test
    void shouldKeepTheWholeRequestedNameAndExceedTheLimitOnlyByTheSuffix() {
        String longest = "x".repeat(24);
        assertEquals(longest + " (2)", DistinctNames.distinct(longest, List.of(longest)));
    }
}
