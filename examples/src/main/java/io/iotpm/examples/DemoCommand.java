package io.iotpm.examples;

import io.iotpm.core.sim.Fleet;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code ./iotpm demo}: a newcomer's tour, on embedded defaults. Each capability adds a step.
 */
final class DemoCommand implements Command {

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "the whole tour on embedded defaults [--devices 10 --days 7 --seed 42]";
    }

    @Override
    public int run(Args args, PrintStream out) throws Exception {
        int devices = args.getInt("devices", 10);
        int days = args.getInt("days", 7);
        long seed = args.getInt("seed", 42);

        out.println("== 1. Simulate a fleet: " + devices + " industrial motors, " + days
                + " days at 1-minute resolution ==");
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Fleet fleet = Fleet.builder().devices(devices).idPrefix("PUMP_").seed(seed)
                .failureProbability(0.08).start(end.minus(Duration.ofDays(days))).build();
        long t0 = System.nanoTime();
        FleetReport report = FleetReport.simulate(fleet, Duration.ofDays(days), r -> { });
        double seconds = (System.nanoTime() - t0) / 1e9;
        report.print(fleet, out);
        out.printf("(%.0f readings/s)%n", report.readings() / seconds);

        out.println();
        out.println("== 2. Learn failures: a small LSTM on 6 simulated motors (7 days, 10-minute steps), "
                + "predictions for each ==");
        MlSupport.quietOffline();
        ModelCommand.trainAndEvaluate(new ModelCommand.Settings(6, 7, 4, seed, 10, 24, 18, new int[] {16, 8}, 2),
                out, false).close();
        return 0;
    }
}
