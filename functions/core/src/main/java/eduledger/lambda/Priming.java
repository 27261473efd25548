package eduledger.lambda;

import eduledger.storage.RetryJitter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Warms a function before Lambda SnapStart takes its snapshot, so a restored copy starts with
 * classes loaded, JIT-compiled paths, a DynamoDB client that has already signed and sent a
 * request, and JSON read and written once. Outside SnapStart (or off a CRaC JVM) nothing runs.
 *
 * <p>What each function primes is its own request path. An HTTP function sends one request per route,
 * as JSON through the stream entry Lambda calls, with an unknown token: reading the event, routing,
 * the token lookup in the control table (one GetItem that finds nothing), the error envelope and
 * writing the response. The change-stream function reads the integrations (one Query) and handles
 * a record of an item that is no roster object. No data is written.
 *
 * <p>After a restore it gives the copy what must not be shared with the other copies of one
 * snapshot: a freshly seeded {@link RetryJitter}. Ids and tokens need nothing: they draw from the
 * default {@code SecureRandom}, which on Linux mixes fresh bytes from the OS into every draw. Keys
 * read from a secret store are read again ({@link #afterRestore}), in case they rotated since.
 */
public final class Priming implements Resource {
    /** CRaC holds resources weakly; these references keep them registered for the container's life. */
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    private final Runnable warmUp;
    private final Runnable restored;

    private Priming(Runnable warmUp, Runnable restored) {
        this.warmUp = warmUp;
        this.restored = restored;
    }

    public static void register(Runnable warmUp) {
        register(new Priming(warmUp, () -> RetryJitter.reseed()));
    }

    /** Runs {@code restored} in every copy restored from the snapshot, before it takes a request. */
    static void afterRestore(Runnable restored) {
        register(new Priming(() -> {}, restored));
    }

    private static void register(Priming priming) {
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            warmUp.run();
        } catch (RuntimeException e) {
            // A failed warm-up costs only speed; the snapshot must still be taken.
            System.err.println("priming failed: " + e);
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        restored.run();
    }
}
