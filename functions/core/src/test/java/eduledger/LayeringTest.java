package eduledger;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * How core's packages may depend on one another. The domain (audit, auth, courses, graph,
 * integrations, roster, schemas) and the toolkit it builds on (errors, events, json, paging,
 * storage) know nothing of HTTP or Lambda: {@code lambda} is the one adapter, and only it depends
 * on them, never the other way round.
 */
class LayeringTest {
    private static final String[] DOMAIN = {
        "eduledger.audit..",
        "eduledger.auth..",
        "eduledger.courses..",
        "eduledger.graph..",
        "eduledger.integrations..",
        "eduledger.roster..",
        "eduledger.schemas.."
    };
    private static final String[] TOOLKIT = {
        "eduledger.errors..",
        "eduledger.events..",
        "eduledger.json..",
        "eduledger.metrics..",
        "eduledger.paging..",
        "eduledger.storage.."
    };
    private static final String[] LAMBDA = {"eduledger.lambda..", "com.amazonaws.services.lambda.."};

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(
                    "eduledger.audit",
                    "eduledger.auth",
                    "eduledger.courses",
                    "eduledger.graph",
                    "eduledger.integrations",
                    "eduledger.roster",
                    "eduledger.schemas",
                    "eduledger.errors",
                    "eduledger.events",
                    "eduledger.json",
                    "eduledger.metrics",
                    "eduledger.paging",
                    "eduledger.storage",
                    "eduledger.lambda");

    @Test
    void corePackagesImportEachOtherInNoCircle() {
        slices().matching("eduledger.(*)..").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void theDomainKnowsNothingOfHttpOrLambda() {
        noClasses()
                .that()
                .resideInAnyPackage(DOMAIN)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(LAMBDA)
                .check(CORE);
    }

    @Test
    void theToolkitKnowsNoDomainAndNoLambda() {
        noClasses()
                .that()
                .resideInAnyPackage(TOOLKIT)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(DOMAIN)
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage(LAMBDA)
                .check(CORE);
    }
}
