package eduledger.dynamodb.value;

import java.math.BigDecimal;

/** DynamoDB's number rules: at most 38 significant digits, magnitudes from 1E-130 to below 1E+126. */
public final class Numbers {
    public static final int MAX_PRECISION = 38;

    private Numbers() {}

    /** The canonical form: trailing zeros stripped, zero as plain 0. */
    public static BigDecimal normalize(BigDecimal value) {
        if (value.signum() == 0) return BigDecimal.ZERO;
        return value.stripTrailingZeros();
    }
}
