package io.iotpm.core.stream;

/**
 * Thrown by {@link StreamHub#publish} when a subscriber with {@link Overflow#FAIL} has a full queue,
 * or when a publisher blocked by {@link Overflow#BLOCK} is interrupted. The other subscribers of
 * the topic did get the message.
 */
public class StreamOverflowException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String subscriber;
    private final String deviceId;

    /**
     * @param subscriber the subscriber that did not get the message
     * @param deviceId   the message's key
     * @param message    the detail message
     */
    public StreamOverflowException(String subscriber, String deviceId, String message) {
        super(message);
        this.subscriber = subscriber;
        this.deviceId = deviceId;
    }

    /** @return the name of the subscriber that did not get the message */
    public String subscriber() {
        return subscriber;
    }

    /** @return the device id of the message that was not delivered */
    public String deviceId() {
        return deviceId;
    }
}
