package eduledger.storage;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * SnapStart restores many copies of one snapshot. A generator's state is copied into each; these
 * tests copy it by serialization, which is what restoring the same memory amounts to.
 */
class RetryJitterTest {

    @Test
    void copiesOfOneSnapshotWaitInStepUntilTheRestoreHookReseedsThem() throws Exception {
        Random snapshot = new Random(20_261_124L);
        RetryJitter first = new RetryJitter(restoredCopy(snapshot));
        RetryJitter second = new RetryJitter(restoredCopy(snapshot));

        SecureRandom seeds = new SecureRandom();
        first.reseedFrom(seeds);
        second.reseedFrom(seeds);
        assertNotEquals(waits(first), waits(second));
    }

    @Test
    void reseedingGivesTheSharedJitterANewGenerator() throws Exception {
        Random before = restoredCopy(RetryJitter.shared().generator());
        RetryJitter.reseed();
        Random after = restoredCopy(RetryJitter.shared().generator());
        assertNotEquals(waits(new RetryJitter(before)), waits(new RetryJitter(after)));
    }

    @Test
    void waitsStayWithinTheirBounds() {
        for (int i = 0; i < 1_000; i++) {
            long wait = RetryJitter.millis(1, 25);
            assertTrue(wait >= 1 && wait < 25, "wait " + wait);
        }
    }

    private static List<Long> waits(RetryJitter jitter) {
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            waits.add(jitter.next(1, 1_000_000));
        }
        return waits;
    }

    @SuppressWarnings("unchecked")
    private static <T> T restoredCopy(T state) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(state);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
