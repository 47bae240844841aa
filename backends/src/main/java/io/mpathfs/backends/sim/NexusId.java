package io.mpathfs.backends.sim;

/**
 * One I_T nexus of the simulated target: an initiator port (by its full name) and a target port
 * (by its relative target port identifier, 1..N). Registrations, the reservation holder and unit
 * attentions all belong to one of these.
 */
public record NexusId(String initiator, int targetPort) {
    @Override
    public String toString() {
        return initiator + " via port " + targetPort;
    }
}
