/**
 * Mini-program storage ({@code wx.setStorage} and friends): one isolated, encrypted area per
 * (mini-program id, user id). The bridge talks to {@link dev.capsule.runtime.storage.Storage}; hosts
 * may plug in their own implementation.
 */
package dev.capsule.runtime.storage;
