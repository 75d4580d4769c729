package dev.licensor.store.postgresql.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binaries artifact is unpacked once per machine, even by JVMs racing to do it. */
class PgBinariesTest {

    @Test
    void racingJvmsUnpackOnceAndAllGetWorkingBinaries(@TempDir Path tmp) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(PgBinaries.BIN_ENV) == null,
                "LICENSOR_PG_BIN names other binaries on purpose");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            children.add(new ProcessBuilder(java, "-Djava.io.tmpdir=" + tmp, "-Dlicensor.pg.machineBinaries=false",
                    "-cp", System.getProperty("java.class.path"), Child.class.getName())
                    .redirectErrorStream(true).start());
        }
        List<String> answers = new ArrayList<>();
        for (Process child : children) {
            assertThat(child.waitFor(240, TimeUnit.SECONDS)).as("child finished").isTrue();
            String out = new String(child.getInputStream().readAllBytes()).strip();
            assertThat(child.exitValue()).as(out).isZero();
            answers.add(out);
        }
        assertThat(answers).allSatisfy(a -> assertThat(a).isEqualTo(answers.get(0)));
        Path bin = Path.of(answers.get(0));
        assertThat(bin).startsWith(tmp);
        assertThat(Files.isExecutable(bin.resolve("initdb"))).isTrue();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString()).toList())
                    .as("one tree, no partial copies left behind").singleElement().asString()
                    .startsWith("licensor-pg-binaries-").doesNotContain(".partial");
        }
    }

    /** A JVM that asks for the binaries and prints where they are. */
    public static final class Child {
        private Child() {
        }

        /** Prints the folder of initdb and pg_ctl. */
        public static void main(String[] args) throws IOException {
            System.out.println(PgBinaries.find().orElseThrow());
        }
    }
}
