#!/bin/sh
# mpathfs end to end on LIO over tcm_loop: mounted over host A's paths; host B (sg_persist on B1)
# is the other cluster node; a path fault is tcm_loop's transport_status. The cases are shared with
# the iSCSI suite (guest/e2e-cases.sh). PREEMPT AND ABORT is not here: it never returns on a
# tcm_loop nexus (40-iscsi-e2e covers it).
. "$LAB_HOME/guest/lib.sh"
. "$LAB_HOME/guest/e2e-cases.sh"
E2E_PR=cli # the CLI as users type it for the first cases ...
case_seed_raw
case_mount
case_register_path_down
E2E_PR=ctl # ... then ctl/pr: under emulation each CLI start costs 7-20 s of the suite's budget
case_reserve_round_robin
case_type_change
case_holder_down_release
case_foreign_preempt
case_clear
case_restart_sigkill
case_start_path_down
case_exclusive_access_restarts
case_wwid lu0
e2e_end
