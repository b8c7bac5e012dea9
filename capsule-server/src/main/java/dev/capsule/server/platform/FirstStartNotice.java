package dev.capsule.server.platform;

import java.util.List;

/**
 * Lines printed once, on the very first start of an installation (the first start against a fresh
 * database), telling the operator how to sign in. The identity module provides it; while no module
 * does, the server says that nothing can sign in yet. Lines are printed as they are, so they must not
 * hold a secret unless the operator needs exactly that secret to sign in the first time.
 */
public interface FirstStartNotice {

    List<String> lines();
}
