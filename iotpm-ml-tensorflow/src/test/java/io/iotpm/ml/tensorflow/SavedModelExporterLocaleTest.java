package io.iotpm.ml.tensorflow;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.network.LstmWeights;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Export under a default locale whose digits are not ASCII: a clear refusal, while serving still works. */
class SavedModelExporterLocaleTest {

    private static final int STEPS = 6;
    private static final SensorSchema SCHEMA = SensorSchema.industrialMotor();

    private final Locale host = Locale.getDefault();
    private final Locale hostFormat = Locale.getDefault(Locale.Category.FORMAT);
    private final Locale hostDisplay = Locale.getDefault(Locale.Category.DISPLAY);

    @AfterEach
    void restoreLocale() {
        Locale.setDefault(host);
        Locale.setDefault(Locale.Category.FORMAT, hostFormat);
        Locale.setDefault(Locale.Category.DISPLAY, hostDisplay);
    }

    @Test
    void arabicDefaultLocale_exportIsRefusedNamingIt_leavesNothing_andAnExportedModelStillServes(@TempDir Path tmp)
            throws Exception {
        TfTestSupport.offline();
        LstmWeights weights = LstmReference.random(5, SCHEMA.size(), new int[] {4}, new int[] {1});
        Scaler scaler = Scaler.fitMinMax(TfTestSupport.windows(20, STEPS, 5));
        ModelSidecar sidecar = ModelSidecar.of("loc", TfTestSupport.channelNames(SCHEMA), STEPS).withScaler(scaler);
        Locale.setDefault(Locale.ROOT);
        Path model = tmp.resolve("model");
        SavedModelExporter.export(weights, model, sidecar);

        // Arabic writes %d in Arabic-Indic digits, which TensorFlow refuses in the node names TensorFlow Java makes.
        Locale.setDefault(Locale.forLanguageTag("ar-SA"));
        assertThatThrownBy(() -> SavedModelExporter.export(weights, tmp.resolve("ar"), sidecar))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ar-SA").hasMessageContaining("ASCII digits");
        assertThat(tmp.resolve("ar")).doesNotExist();
        DeviceWindow w = TfTestSupport.windows(1, STEPS, 3).get(0);
        try (SavedModelPredictor p = SavedModelPredictor.load(model)) {
            double expected = LstmReference.forward(weights, TfTestSupport.scaled(w, scaler, STEPS))[0];
            assertThat(p.predict(w.deviceId(), w.readings()).failureProbability()).isCloseTo(expected, within(1e-4));
        }
    }
}
