package dev.neper.fleet.operator.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.neper.fleet.runner.contract.NodeLimits;
import dev.neper.fleet.runner.contract.OptionParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules the guide sets, checked over the built classes of both programs: no package
 * cycle in the runner or in the operator; the operator uses the runner only through its contract
 * package, and never reads the limits of the machine it runs on as if they were a node's.
 */
@Tag("unit")
class ArchitectureTest {
    private static final String RUNNER = "dev.neper.fleet.runner";
    private static final String OPERATOR = "dev.neper.fleet.operator";
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // the runner's test helpers are on this classpath as its test jar, which DO_NOT_INCLUDE_TESTS does not know
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages(RUNNER, OPERATOR);
    }

    @Test
    void theRunnersPackagesHaveNoCycle() {
        slices().matching(RUNNER + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theOperatorsPackagesHaveNoCycle() {
        slices().matching(OPERATOR + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theOperatorUsesTheRunnerOnlyThroughItsContract() {
        noClasses().that().resideInAPackage(OPERATOR + "..")
                .should().dependOnClassesThat(resideInAPackage(RUNNER + "..")
                        .and(resideOutsideOfPackage(RUNNER + ".contract..")))
                .check(classes);
    }

    @Test
    void theOperatorNeverReadsNodeLimitsOfItsOwnHost() {
        noClasses().that().resideInAPackage(OPERATOR + "..")
                .should().callMethod(NodeLimits.class, "ofThisNode")
                .orShould().callMethod(OptionParser.class, "parse", List.class)
                .because("a node's limits are the runner's to check, on the node (OptionChecks.check holds anywhere)")
                .check(classes);
    }
}
