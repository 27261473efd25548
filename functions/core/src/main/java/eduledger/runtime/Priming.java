package eduledger.runtime;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Warms a function before Lambda SnapStart takes its snapshot, so a restored copy starts with
 * classes loaded, JIT-compiled paths, a DynamoDB client that has already signed and sent a
 * request, and Jackson's serializers built. Outside SnapStart (or off a CRaC JVM) nothing runs.
 *
 * <p>What each function primes is its router's own request path: one request per route with an
 * unknown token, which parses the event, looks the token up in the control table (one GetItem that
 * finds nothing) and renders the 401 envelope. No data is written.
 */
public final class Priming implements Resource {
    /** CRaC holds resources weakly; these references keep them registered for the container's life. */
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    private final Runnable warmUp;

    private Priming(Runnable warmUp) {
        this.warmUp = warmUp;
    }

    public static void register(Runnable warmUp) {
        Priming priming = new Priming(warmUp);
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
        // Nothing to redo: ids and tokens come from SecureRandom, which the runtime re-seeds on restore.
    }
}
