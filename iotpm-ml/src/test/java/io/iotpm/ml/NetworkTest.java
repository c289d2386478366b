package io.iotpm.ml;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.iotpm.ml.network.LstmWeights;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NetworkTest {

    @Test
    void djlForward_matchesPlainJavaForwardOfExportedWeights() {
        Network net = new Network(5, new int[] {7, 4}, new int[] {3}, 0.2);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            SequentialBlock block = net.block();
            net.initialize(block, m, 6);
            net.randomize(block, 11);
            Random r = new Random(3);
            float[][][] windows = new float[4][6][5];
            float[] flat = new float[4 * 6 * 5];
            int k = 0;
            for (float[][] w : windows) {
                for (float[] row : w) {
                    for (int c = 0; c < 5; c++) {
                        row[c] = (float) r.nextGaussian();
                        flat[k++] = row[c];
                    }
                }
            }
            NDArray out = block.forward(new ParameterStore(m, false), new NDList(m.create(flat, new Shape(4, 6, 5))), false)
                    .singletonOrThrow();
            float[] djl = out.toFloatArray();
            LstmWeights weights = net.weights(block, 1, 0, LstmWeights.Activation.IDENTITY);
            for (int i = 0; i < 4; i++) {
                assertThat(weights.forward(windows[i])[0]).isCloseTo(djl[i], within(1e-5f));
            }
        }
    }
}
