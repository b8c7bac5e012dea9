package dev.capsule.runtime.net;

import java.util.Locale;

/** One request header Capsule will send: a valid token name and a value of visible ASCII. */
record HeaderField(String name, String value) {
    boolean isNamed(String lowerCaseName) {
        return name.toLowerCase(Locale.ROOT).equals(lowerCaseName);
    }
}
