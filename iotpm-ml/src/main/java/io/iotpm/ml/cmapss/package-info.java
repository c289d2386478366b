/**
 * NASA C-MAPSS turbofan run-to-failure data (Saxena and Goebel, 2008) as iotpm readings and failure
 * events: {@link io.iotpm.ml.cmapss.Cmapss} reads the training, test and RUL files of any subset
 * (FD001 to FD004).
 */
package io.iotpm.ml.cmapss;
