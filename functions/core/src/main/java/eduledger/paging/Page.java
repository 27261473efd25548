package eduledger.paging;

import java.util.List;
import java.util.function.Function;

/** One page of a list, oldest first, and whether more lie beyond it in the direction of paging. */
public record Page<T>(List<T> items, boolean more) {
    public Page {
        items = List.copyOf(items);
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), more);
    }
}
