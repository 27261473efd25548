package eduledger.testing;

import eduledger.lambda.HttpFunction;
import eduledger.lambda.Services;
import eduledger.testing.TestServices.TestIntegration;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every test of one HTTP function starts from: the services on the shared test store, the
 * function built on them as Lambda builds it once per container, and before each test a new
 * integration (with a token holding every integration scope) to isolate it from the others.
 */
public abstract class FunctionTest<F extends HttpFunction> {
    protected final Services services = TestServices.shared();
    protected final F handler;
    protected TestIntegration tenant;

    protected FunctionTest(Function<Services, F> function) {
        this.handler = function.apply(services);
    }

    @BeforeEach
    final void newTenant() {
        tenant = TestServices.integration(services);
    }
}
