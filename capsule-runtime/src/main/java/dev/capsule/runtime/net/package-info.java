/**
 * The only way a mini-program reaches the network ({@code wx.request}): HTTPS to exact allowlisted
 * hosts, with DNS resolved and every address checked by Capsule before connecting to exactly that
 * address, redirects followed and re-checked by Capsule, and every size and time bounded.
 */
package dev.capsule.runtime.net;
