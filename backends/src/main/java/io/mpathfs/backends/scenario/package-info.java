/**
 * Plain-text PR scenarios and their runner: the same files run against the embedded target in unit
 * tests and against real LIO devices through SG_IO in the lab, so the sim's behaviour is checked
 * against the real thing line by line. Format: {@link io.mpathfs.backends.scenario.ScenarioParser};
 * commands: {@link io.mpathfs.backends.scenario.CommandBuilder}; running:
 * {@link io.mpathfs.backends.scenario.ScenarioRunner} and the command line
 * {@link io.mpathfs.backends.scenario.ScenarioMain}. Bundled files: resources/scenarios/*.scn.
 */
package io.mpathfs.backends.scenario;
