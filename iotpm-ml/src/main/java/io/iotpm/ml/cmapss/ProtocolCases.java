package io.iotpm.ml.cmapss;

import io.iotpm.core.DeviceWindow;
import io.iotpm.core.SensorReading;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.iotpm.ml.cmapss.CmapssSettings.HORIZON;
import static io.iotpm.ml.cmapss.CmapssSettings.RUL_CAP;

/**
 * Windows to score and their truth: a binary label (failure within {@value CmapssSettings#HORIZON}
 * cycles) and the RUL capped at {@value CmapssSettings#RUL_CAP}.
 *
 * @param name    what the windows are, for reports
 * @param windows per case, the engine's readings from its first cycle to the case's last one (a model
 *                reads the last {@code sequenceLength} of them; test-time averaging reads earlier windows too)
 * @param labels  per window, whether the engine fails within the horizon
 * @param rul     per window, the true RUL capped at the literature cap
 */
public record ProtocolCases(String name, List<DeviceWindow> windows, boolean[] labels, double[] rul) {

    /**
     * Every window of held-out training engines: the validation counterpart of both protocols.
     *
     * @param engines readings per engine, in cycle order, each ending at the failure
     * @param window  window length in cycles
     * @return one case per window ending at cycle {@code window} or later, each with the engine's history
     */
    public static ProtocolCases allWindows(Map<String, List<SensorReading>> engines, int window) {
        return allWindows(engines, window, window);
    }

    /**
     * As {@link #allWindows(Map, int)}, but only the windows ending at cycle {@code firstEnd} or later,
     * so models with different windows meet the same cases.
     *
     * @param engines  readings per engine, in cycle order, each ending at the failure
     * @param window   window length in cycles
     * @param firstEnd the first cycle a window may end at
     * @return one case per window
     */
    public static ProtocolCases allWindows(Map<String, List<SensorReading>> engines, int window, int firstEnd) {
        List<DeviceWindow> ws = new ArrayList<>();
        List<Integer> ruls = new ArrayList<>();
        engines.forEach((id, rs) -> {
            for (int end = Math.max(window, firstEnd); end <= rs.size(); end++) {
                // The history up to the window's end, as a test engine's case has it: the model reads the last
                // window, test-time averaging the earlier ones.
                ws.add(new DeviceWindow(id, rs.subList(0, end)));
                ruls.add(rs.size() - end);
            }
        });
        String ending = firstEnd > window ? " ending at cycle " + firstEnd + " or later" : "";
        return of("every " + window + "-cycle window" + ending + " of " + engines.size() + " held-out training engines",
                ws, ruls);
    }

    /**
     * The protocols' test cases: the last window of each test engine.
     *
     * @param engines   the test engines with their true RUL
     * @param window    the fewest cycles the model needs (its window, or its minimum history when it pads)
     * @param skipShort skip engines with fewer cycles than the window (the binary protocol); otherwise
     *                  such an engine is an error
     * @return one case per engine kept
     * @throws IllegalArgumentException if an engine is too short and {@code skipShort} is false
     */
    public static ProtocolCases lastWindows(List<Cmapss.TestEngine> engines, int window, boolean skipShort) {
        List<DeviceWindow> ws = new ArrayList<>();
        List<Integer> ruls = new ArrayList<>();
        for (Cmapss.TestEngine e : engines) {
            if (e.readings().size() < window) {
                if (skipShort) {
                    continue;
                }
                throw new IllegalArgumentException("test engine " + e.deviceId() + " has only " + e.readings().size()
                        + " cycles, fewer than the window of " + window);
            }
            ws.add(new DeviceWindow(e.deviceId(), e.readings()));
            ruls.add(e.trueRul());
        }
        return of(skipShort ? "last window of the " + ws.size() + " test engines with >= " + window + " cycles"
                : "last cycle of all " + ws.size() + " test engines", ws, ruls);
    }

    private static ProtocolCases of(String name, List<DeviceWindow> ws, List<Integer> ruls) {
        boolean[] labels = new boolean[ws.size()];
        double[] rul = new double[ws.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = ruls.get(i) <= HORIZON;
            rul[i] = Math.min(RUL_CAP, ruls.get(i));
        }
        return new ProtocolCases(name, ws, labels, rul);
    }
}
