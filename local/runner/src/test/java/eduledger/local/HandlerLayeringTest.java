package eduledger.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * A function is wiring: it reaches the store, and the world, only through the domain and the
 * Lambda adapter, and no function depends on another.
 */
class HandlerLayeringTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("eduledger.functions");

    @Test
    void handlersDependOnlyOnTheAdapterAndTheDomain() {
        classes()
                .that()
                .resideInAPackage("eduledger.functions..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "eduledger.functions..",
                        // the adapter
                        "eduledger.lambda..",
                        "com.amazonaws.services.lambda.runtime..",
                        // the domain, and the values it speaks in
                        "eduledger.audit..",
                        "eduledger.auth..",
                        "eduledger.courses..",
                        "eduledger.graph..",
                        "eduledger.integrations..",
                        "eduledger.roster..",
                        "eduledger.schemas..",
                        "eduledger.errors..",
                        "eduledger.json..",
                        "eduledger.paging..",
                        "com.fasterxml.jackson.databind..",
                        "java..")
                .check(CLASSES);
    }

    @Test
    void noFunctionDependsOnAnother() {
        slices().matching("eduledger.functions.(*)..")
                .should()
                .notDependOnEachOther()
                .check(CLASSES);
    }
}
