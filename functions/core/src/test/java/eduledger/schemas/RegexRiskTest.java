package eduledger.schemas;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegexRiskTest {
    @ParameterizedTest
    @ValueSource(strings = {"(a+)+$", "^(a*)*b", "(\\w+\\s?)*$", "((ab)+c)+", "(a+){2,}", "(?:x[0-9]+)*", "(a{1,9})+"})
    void repeatedGroupsThatRepeatAreRisky(String pattern) {
        assertTrue(RegexRisk.nestsRepetition(pattern), pattern);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "^[a-z]+$",
                "(ab)+",
                "a+b+",
                "^\\d{4}-\\d{2}$",
                "(a|b)*",
                "[(a+)]+",
                "\\(a+\\)+",
                "(a{1})+",
                "(a?)+x"
            })
    void singleRepetitionsAreNot(String pattern) {
        assertFalse(RegexRisk.nestsRepetition(pattern), pattern);
    }
}
