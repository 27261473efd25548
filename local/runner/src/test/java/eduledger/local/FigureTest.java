package eduledger.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What the bench says ran beside its timed calls is counted from the JVM, and adds up over windows. */
class FigureTest {

    @Test
    void aCollectionBetweenTwoReadingsIsCounted() {
        Figure.Background before = Figure.Background.now();
        System.gc();
        assertTrue(Figure.Background.now().since(before).collections() >= 1);
    }

    @Test
    void windowsAddUpAndAnUnknownCompileTimeStaysUnknown() {
        Figure.Background first = new Figure.Background(30, 5).since(new Figure.Background(10, 4));
        Figure.Background second = new Figure.Background(50, 9).since(new Figure.Background(45, 7));
        assertEquals(
                new Figure.Background(25, 3), Figure.Background.NONE.plus(first).plus(second));
        Figure.Background untold = new Figure.Background(-1, 6).since(new Figure.Background(-1, 2));
        assertEquals(new Figure.Background(-1, 4), untold);
        assertEquals(-1, first.plus(untold).compilingMillis());
    }
}
