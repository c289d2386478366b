package io.iotpm.ml;

import ai.djl.training.tracker.Tracker;

/** A learning rate the training loop sets once per epoch (step, cosine and plateau schedules). */
final class MutableTracker implements Tracker {

    private volatile float value;

    MutableTracker(float value) {
        this.value = value;
    }

    void set(float value) {
        this.value = value;
    }

    float get() {
        return value;
    }

    @Override
    public float getNewValue(int numUpdate) {
        return value;
    }
}
