package dev.capsule.server.audit.internal;

// PLACEHOLDER until audit-core's dev.capsule.core.merkle.NodeId is merged.
record NodeId(int level, long index) {
}
