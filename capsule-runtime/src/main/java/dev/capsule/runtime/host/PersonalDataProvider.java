package dev.capsule.runtime.host;

import java.util.Optional;

/**
 * The device's personal data, read only after the runtime has checked the mini-program's privacy
 * declaration and the user's consent. Empty means unavailable (the call fails).
 */
public interface PersonalDataProvider {
    Optional<Location> location(String appId, String userId);

    Optional<UserProfile> userProfile(String appId, String userId);

    /** WGS84 position and accuracy in metres. */
    record Location(double latitude, double longitude, double accuracy) {}

    /** What wx.getUserProfile returns: a display name and an avatar URL. */
    record UserProfile(String nickName, String avatarUrl) {}

    /** No personal data at all. */
    PersonalDataProvider NONE = new PersonalDataProvider() {
        @Override
        public Optional<Location> location(String appId, String userId) {
            return Optional.empty();
        }

        @Override
        public Optional<UserProfile> userProfile(String appId, String userId) {
            return Optional.empty();
        }
    };
}
