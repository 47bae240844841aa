/**
 * Persistent reservation vocabulary shared by everyone who speaks PR: types and their names
 * ({@link io.mpathfs.backends.pr.PrType}), blkpr-style command lines
 * ({@link io.mpathfs.backends.pr.PrCommand}), PR OUT requests ({@link io.mpathfs.backends.pr.PrOut})
 * and PR IN data ({@link io.mpathfs.backends.pr.ReadKeysData},
 * {@link io.mpathfs.backends.pr.ReadReservationData}, {@link io.mpathfs.backends.pr.FullStatusData},
 * {@link io.mpathfs.backends.pr.CapabilitiesData}) — encoded by the embedded target, decoded by the
 * PR coordinator.
 */
package io.mpathfs.backends.pr;
