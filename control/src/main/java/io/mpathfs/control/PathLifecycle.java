package io.mpathfs.control;

/**
 * How the PR coordinator takes part in the device's path events and IO routing: the blocking
 * {@link PathAdmission} hooks and the non-blocking {@link IoHooks}, given to the device together.
 */
public interface PathLifecycle extends PathAdmission, IoHooks {
    PathLifecycle NONE = new PathLifecycle() {
    };
}
