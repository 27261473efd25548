package eduledger.errors;

/**
 * One entry of an error or warning list: an UPPER_SNAKE code, a sentence for a person, and where
 * it applies (a JSON path such as {@code $.data.price}) when it is about one place in the input.
 */
public record ErrorDetail(String code, String message, String path) {

    public static ErrorDetail of(String code, String message) {
        return new ErrorDetail(code, message, null);
    }
}
