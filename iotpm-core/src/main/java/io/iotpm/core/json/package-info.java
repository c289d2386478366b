/**
 * JSON at the edges: {@link io.iotpm.core.json.ReadingJson} reads and writes readings and events in
 * the original system's flat shape, and fails with an {@link io.iotpm.core.json.InvalidJsonException}
 * that names the field.
 */
package io.iotpm.core.json;
