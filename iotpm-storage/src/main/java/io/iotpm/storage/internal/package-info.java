/**
 * Not API: helpers shared by the storage backends (schema guard, argument checks, the schema's
 * JSON form). May change in any release.
 */
package io.iotpm.storage.internal;
