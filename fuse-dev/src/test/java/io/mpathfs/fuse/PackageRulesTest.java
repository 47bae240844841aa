package io.mpathfs.fuse;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house's package rules, checked on the compiled classes of every module (this module sees
 * them all): no package cycle anywhere, and each part depends only on the parts below it —
 * native-shim; the SCSI and PR vocabulary; the paths; the embedded target; the scenarios; the
 * multipath device (its data path never reaching the PR coordinator); the mount.
 */
class PackageRulesTest {
    private static final String NATIVE = "io.mpathfs.nativeshim..";
    private static final String[] VOCABULARY = {"io.mpathfs.backends.scsi..", "io.mpathfs.backends.pr.."};
    private static final String[] PATHS = {"io.mpathfs.backends", "io.mpathfs.backends.file..",
            "io.mpathfs.backends.scsidevice.."};
    private static final String TARGET = "io.mpathfs.backends.sim..";
    private static final String SCENARIOS = "io.mpathfs.backends.scenario..";
    private static final String CONTROL = "io.mpathfs.control..";
    private static final String[] DATA_PATH = {"io.mpathfs.control", "io.mpathfs.control.io..",
            "io.mpathfs.control.policy.."};
    private static final String PR_COORDINATOR = "io.mpathfs.control.pr..";
    private static final String FUSE = "io.mpathfs.fuse..";

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.mpathfs");
    }

    private static String[] plus(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void noPackageIsPartOfACycle() {
        slices().matching("io.mpathfs.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void nativeShimKnowsNothingAboveIt() {
        noClasses().that().resideInAPackage(NATIVE).should().dependOnClassesThat()
                .resideInAnyPackage("io.mpathfs.backends..", CONTROL, FUSE).check(classes);
    }

    @Test
    void theVocabularyKnowsNoPathTargetOrDevice() {
        noClasses().that().resideInAnyPackage(VOCABULARY).should().dependOnClassesThat()
                .resideInAnyPackage(plus(PATHS, TARGET, SCENARIOS, CONTROL, FUSE)).check(classes);
    }

    @Test
    void thePathsKnowNoTargetOrDevice() {
        noClasses().that().resideInAnyPackage(PATHS).should().dependOnClassesThat()
                .resideInAnyPackage(TARGET, SCENARIOS, CONTROL, FUSE).check(classes);
    }

    @Test
    void theTargetKnowsNoScenarioOrDevice() {
        noClasses().that().resideInAPackage(TARGET).should().dependOnClassesThat()
                .resideInAnyPackage(SCENARIOS, CONTROL, FUSE).check(classes);
    }

    @Test
    void theDeviceKnowsNoTargetScenarioOrMount() {
        noClasses().that().resideInAPackage(CONTROL).should().dependOnClassesThat()
                .resideInAnyPackage(TARGET, SCENARIOS, FUSE).check(classes);
    }

    @Test
    void theDataPathNeverReachesThePrCoordinator() {
        noClasses().that().resideInAnyPackage(DATA_PATH).should().dependOnClassesThat()
                .resideInAPackage(PR_COORDINATOR).check(classes);
    }
}
