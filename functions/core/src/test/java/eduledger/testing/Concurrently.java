package eduledger.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs one task many times at once, released together so the calls really overlap. */
public final class Concurrently {
    private Concurrently() {}

    @FunctionalInterface
    public interface Task<T> {
        T run(int index) throws Exception;
    }

    /** Runs {@code task} {@code count} times on {@code threads} threads; results in index order. */
    public static <T> List<T> run(int count, int threads, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(count, threads));
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit((Callable<T>) () -> {
                    start.await();
                    return task.run(index);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    public static <T> List<T> run(int count, Task<T> task) throws Exception {
        return run(count, count, task);
    }
}
