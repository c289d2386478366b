package io.iotpm.examples.cli;

import io.iotpm.core.SensorReading;
import io.iotpm.ml.cmapss.Cmapss;
import io.iotpm.ml.cmapss.ProtocolCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaseFilesTest {

    @TempDir
    Path dir;

    /** One engine of 3 cycles, scored at windows of 2: two cases, ending at cycles 2 and 3 (RUL 1 and 0). */
    private static ProtocolCases twoCases() {
        List<SensorReading> rs = new ArrayList<>();
        for (int c = 1; c <= 3; c++) {
            rs.add(SensorReading.of("engine_007", Cmapss.START.plus(Cmapss.CYCLE.multipliedBy(c)), Cmapss.schema(),
                    new double[Cmapss.schema().size()]));
        }
        Map<String, List<SensorReading>> engines = new LinkedHashMap<>();
        engines.put("engine_007", rs);
        return ProtocolCases.allWindows(engines, 2);
    }

    @Test
    void rulCases_holdTruthEstimateErrorAndEveryMember() throws Exception {
        Path file = dir.resolve("sub/rul.csv");
        CaseFiles.writeRul(file, twoCases(), new double[] {3.5, 0.25}, List.of(new double[] {3, 0}, new double[] {4, 0.5}));
        assertThat(Files.readAllLines(file)).containsExactly(
                "engine,cycles,true_rul,estimate,error,member_1,member_2",
                "engine_007,2,1.0000,3.5000,2.5000,3.0000,4.0000",
                "engine_007,3,0.0000,0.2500,0.2500,0.0000,0.5000");
    }

    @Test
    void binaryCases_nameEachOutcome_aScoreAtTheThresholdIsPositive() throws Exception {
        Path file = dir.resolve("binary.csv");
        CaseFiles.writeBinary(file, twoCases(), new double[] {0.5, 0.2}, 0.5);
        assertThat(Files.readAllLines(file)).containsExactly(
                "engine,cycles,true_rul,label,score,threshold,decision,outcome",
                "engine_007,2,1.0000,true,0.5000,0.5000,true,TP",
                "engine_007,3,0.0000,true,0.2000,0.5000,false,FN");
    }

    @Test
    void rejectsEstimatesThatDoNotMatchTheCases() {
        assertThatThrownBy(() -> CaseFiles.writeRul(dir.resolve("r.csv"), twoCases(), new double[] {1}, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("need one value per case, but got 1 for 2 cases");
        assertThatThrownBy(() -> CaseFiles.writeBinary(dir.resolve("b.csv"), twoCases(), new double[3], 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("need one value per case, but got 3 for 2 cases");
        assertThat(dir.resolve("r.csv")).doesNotExist();
    }
}
