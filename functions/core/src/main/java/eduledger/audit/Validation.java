package eduledger.audit;

import eduledger.errors.ErrorDetail;
import eduledger.schemas.ValidationLevel;
import java.util.List;

/**
 * How an event's data fared against its action's schema. {@code conforms} is null when the action
 * has no schema (nothing was checked), true or false otherwise; lax events keep their violations.
 */
public record Validation(ValidationLevel level, Boolean conforms, List<ErrorDetail> violations) {
    public Validation {
        violations = List.copyOf(violations);
    }

    public static Validation unchecked() {
        return new Validation(ValidationLevel.LAX, null, List.of());
    }
}
