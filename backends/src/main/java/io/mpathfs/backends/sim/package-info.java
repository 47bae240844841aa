/**
 * The embedded SPC-4 target ("sim"): one logical unit with N target ports, reachable by any number
 * of initiator ports, with full persistent reservation semantics — held to Linux LIO's behaviour
 * (drivers/target/target_core_pr.c, target_core_ua.c), because LIO is what the lab and most
 * Linux-based arrays run.
 *
 * <p>Entry points: {@link io.mpathfs.backends.sim.SimTarget} (build it from a
 * {@link io.mpathfs.backends.sim.SimConfig}), its {@link io.mpathfs.backends.sim.SimPath}s (this
 * host's {@code DevicePath}s), {@link io.mpathfs.backends.sim.SimNexus} (any I_T nexus as a
 * {@code ScsiChannel}, with fault injection) and {@link io.mpathfs.backends.sim.SimControl} (the
 * {@code ctl/sim} text commands).
 *
 * <p>Where LIO and SPC-4 differ, the sim answers as LIO; each case is commented where it is
 * decided and named in a scenario file ("LIO-vs-SPC:"):
 * <ul>
 * <li>RELEASE by the holder with the wrong type: RESERVATION CONFLICT (SPC-4: 26/04); a non-holder's
 * RELEASE is GOOD whatever its key;</li>
 * <li>RESERVE, RELEASE, CLEAR from an unregistered nexus with no reservation: NOT READY 08/00
 * (SPC-4: RESERVATION CONFLICT);</li>
 * <li>PRgeneration: +1 per registration created (ALL_TG_PT: one per port) and per key change (even to
 * the same key), +1 per CLEAR and PREEMPT; nothing for unregistering, RESERVE, RELEASE;</li>
 * <li>PREEMPT without a reservation (or of a non-holder key) removes the issuer's own registration
 * too when it has the named key; PREEMPT whose SARK is the key of the registrant that reserved an
 * all-registrants reservation re-creates the reservation for the issuer;</li>
 * <li>reservation conflicts decided by data direction for commands not on LIO's list: a no-data
 * SYNCHRONIZE CACHE passes for unregistered nexuses under write-exclusive types; READ CAPACITY
 * conflicts under exclusive-access types;</li>
 * <li>unit attentions: reporting one clears every pending one of that nexus; INQUIRY, REPORT LUNS
 * and REQUEST SENSE do not report them; a refused CDB is answered before them;</li>
 * <li>ALL_TG_PT: a registration changes only with ALL_TG_PT set (else 24/00), a key change touches
 * one nexus, unregistering takes the siblings whose key equals the RK field; READ FULL STATUS
 * leaves their relative target port 0.</li>
 * </ul>
 * Decisions of our own, where LIO does more: REGISTER AND MOVE answers 24/00 and SPEC_I_PT 26/00
 * (REPORT CAPABILITIES says SIP_C=0); no SPC-2 RESERVE/RELEASE (CRH=0); SYNCHRONIZE CACHE checks its
 * LBA range (LIO's rd_mcp does not); PREEMPT AND ABORT aborts the preempted nexuses' commands that
 * are waiting in the task set (injected latency) with TASK ABORTED.
 */
package io.mpathfs.backends.sim;
