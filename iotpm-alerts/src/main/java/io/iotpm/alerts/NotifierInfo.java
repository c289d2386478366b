package io.iotpm.alerts;

import java.util.Map;

/**
 * One configured notifier of an {@link AlertManager}, without secrets.
 *
 * @param name    its unique name in the manager (the {@link Notifier#name()}, suffixed when taken)
 * @param kind    {@link Notifier#kind()}
 * @param details {@link Notifier#details()}
 * @param stats   its delivery counters since the manager was built
 */
public record NotifierInfo(String name, String kind, Map<String, Object> details, AlertStats.NotifierStats stats) {
}
