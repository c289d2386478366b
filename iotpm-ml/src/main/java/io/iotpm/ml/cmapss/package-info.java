/**
 * NASA C-MAPSS turbofan run-to-failure data (Saxena and Goebel, 2008) and its two published
 * protocols. {@link io.iotpm.ml.cmapss.Cmapss} reads the training, test and RUL files of any subset
 * (FD001 to FD004) as iotpm readings and failure events; {@link io.iotpm.ml.cmapss.CmapssSettings}
 * builds the protocols' classifier and RUL models; {@link io.iotpm.ml.cmapss.ProtocolCases} cuts the
 * windows each protocol scores, and {@link io.iotpm.ml.cmapss.CmapssEvaluation} scores trained
 * ensembles on them (including the combined classifier + RUL decision).
 */
package io.iotpm.ml.cmapss;
