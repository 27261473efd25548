package eduledger.integrations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Keys already stored must keep their spelling. */
class IntegrationKeysTest {

    @Test
    void sharingEpochCopiesAreSpelledAsTheyWereStored() {
        assertEquals("SHARINGEPOCH#00", IntegrationKeys.sharingEpoch(0));
        assertEquals("SHARINGEPOCH#07", IntegrationKeys.sharingEpoch(7));
        assertEquals("SHARINGEPOCH#31", IntegrationKeys.sharingEpoch(IntegrationStore.EPOCH_COPIES - 1));
        for (int copy = -12; copy <= 150; copy++) {
            assertEquals(String.format("SHARINGEPOCH#%02d", copy), IntegrationKeys.sharingEpoch(copy));
        }
    }
}
