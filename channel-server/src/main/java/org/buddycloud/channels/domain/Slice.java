package org.buddycloud.channels.domain;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a newest-first list and where it sits: {@code first} and {@code last} are the
 * cursors of its first and last item (null when empty), {@code count} the size of the whole list.
 */
public record Slice<T>(List<T> items, String first, String last, long count) {

    public Slice {
        items = List.copyOf(items);
    }

    public static <T> Slice<T> of(List<T> items, long count, Function<T, String> cursor) {
        return new Slice<>(items, items.isEmpty() ? null : cursor.apply(items.get(0)),
                items.isEmpty() ? null : cursor.apply(items.get(items.size() - 1)), count);
    }

    public <R> Slice<R> map(Function<T, R> mapper) {
        return new Slice<>(items.stream().map(mapper).toList(), first, last, count);
    }
}
