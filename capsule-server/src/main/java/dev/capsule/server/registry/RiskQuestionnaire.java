package dev.capsule.server.registry;

import dev.capsule.core.release.RiskProfile;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The risk assessment's questionnaire for one version of a mini-program: three closed questions with closed answers
 * (data sensitivity, user base, financial features), answered by the reviewer at approval, and the one rule that
 * derives the version's {@link RiskProfile} (its policy preset) from the answers (docs/registry.md, "Risk
 * assessment"). The rule, first match wins:
 * <ol>
 *   <li>financial features other than {@code none}, or {@code special} data → {@code financial};</li>
 *   <li>a user base of the operator's own staff → {@code internal};</li>
 *   <li>{@code identifying} data → {@code social};</li>
 *   <li>{@code basic} data → {@code utility};</li>
 *   <li>otherwise (no personal data) → {@code content}.</li>
 * </ol>
 * Profiles are ordered by risk, {@code content} < {@code utility} < {@code social} < {@code internal} <
 * {@code financial} ({@link #rank}); a reviewer may set a profile above the derived one (with a reason), never below
 * it, and {@code internal} only for a mini-program of the operator's own staff ({@link #permits}).
 *
 * <p>Security guarantees: the answers are enums, so nothing else can be stored or derived from; the rule is a pure
 * function of them with an exhaustive switch on each answer, so every combination has exactly one profile (a test
 * checks all 36); {@link #permits} refuses any profile ranked below the derived one, and {@code internal} (every API
 * group, the operator's own) for a mini-program whose users are not the operator's staff.
 */
public record RiskQuestionnaire(DataSensitivity data, UserBase users, FinancialFeatures money) {
    public RiskQuestionnaire {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(money, "money");
    }

    /** "Which personal data does it handle?" (the most sensitive that applies). */
    public enum DataSensitivity implements Answer {
        NONE("no personal data"),
        BASIC("location, device or preferences, not linked to a named person"),
        IDENTIFYING("data that identifies a person: name, phone number, profile, contacts, photos of people"),
        SPECIAL("special or secret data: identity documents, health, biometrics, account or card data");

        private final String meaning;

        DataSensitivity(String meaning) {
            this.meaning = meaning;
        }

        @Override
        public String meaning() {
            return meaning;
        }
    }

    /** "Who uses it?" */
    public enum UserBase implements Answer {
        OPERATOR_STAFF("the platform operator's own staff only"),
        INVITED("a closed group of invited customers"),
        PUBLIC("every user of the super-app");

        private final String meaning;

        UserBase(String meaning) {
            this.meaning = meaning;
        }

        @Override
        public String meaning() {
            return meaning;
        }
    }

    /** "Which financial features does it have?" (the strongest that applies). */
    public enum FinancialFeatures implements Answer {
        NONE("none"),
        ACCOUNT_INFORMATION("shows balances, statements or offers from a customer's accounts"),
        PAYMENTS("moves money: payments, transfers, top-ups");

        private final String meaning;

        FinancialFeatures(String meaning) {
            this.meaning = meaning;
        }

        @Override
        public String meaning() {
            return meaning;
        }
    }

    /** A closed answer: a stable lower-case code (API, storage) and what it means (pages). */
    public sealed interface Answer permits DataSensitivity, UserBase, FinancialFeatures {
        /** The enum constant's name (every answer is one). */
        String name();

        /** The answer in the API and the database: the constant's name in lower case, words joined by {@code -}. */
        default String code() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        String meaning();
    }

    /** The question of each answer field, in the order pages show them: field name → question. */
    public static final List<Question> QUESTIONS = List.of(
            new Question("data", "Which personal data does it handle? (the most sensitive that applies)", List.of(DataSensitivity.values())),
            new Question("users", "Who uses it?", List.of(UserBase.values())),
            new Question("money", "Which financial features does it have? (the strongest that applies)", List.of(FinancialFeatures.values())));

    /** One question as pages and the API show it. */
    public record Question(String field, String text, List<? extends Answer> answers) {
        public Question {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(text, "text");
            answers = List.copyOf(answers);
        }
    }

    /** The profile the answers derive (the rule in the class comment). */
    public RiskProfile derivedProfile() {
        boolean moneyOrSpecial = switch (money) {
            case ACCOUNT_INFORMATION, PAYMENTS -> true;
            case NONE -> data == DataSensitivity.SPECIAL;
        };
        if (moneyOrSpecial) {
            return RiskProfile.FINANCIAL;
        }
        boolean staff = switch (users) {
            case OPERATOR_STAFF -> true;
            case INVITED, PUBLIC -> false;
        };
        if (staff) {
            return RiskProfile.INTERNAL;
        }
        return switch (data) {
            case SPECIAL -> RiskProfile.FINANCIAL; // unreachable (rule 1), kept for an exhaustive switch
            case IDENTIFYING -> RiskProfile.SOCIAL;
            case BASIC -> RiskProfile.UTILITY;
            case NONE -> RiskProfile.CONTENT;
        };
    }

    /** Whether a reviewer may approve with {@code chosen}: not below the derived profile; internal only for staff. */
    public boolean permits(RiskProfile chosen) {
        if (chosen == RiskProfile.INTERNAL && users != UserBase.OPERATOR_STAFF) {
            return false;
        }
        return rank(chosen) >= rank(derivedProfile());
    }

    /** A profile's place in the risk order ({@code content} 0 … {@code financial} 4). */
    public static int rank(RiskProfile profile) {
        return switch (profile) {
            case CONTENT -> 0;
            case UTILITY -> 1;
            case SOCIAL -> 2;
            case INTERNAL -> 3;
            case FINANCIAL -> 4;
        };
    }

    /** The answers from their codes; empty naming nothing when a code is unknown (callers say which field). */
    public static Optional<DataSensitivity> data(String code) {
        return find(DataSensitivity.values(), code);
    }

    public static Optional<UserBase> users(String code) {
        return find(UserBase.values(), code);
    }

    public static Optional<FinancialFeatures> money(String code) {
        return find(FinancialFeatures.values(), code);
    }

    private static <A extends Answer> Optional<A> find(A[] answers, String code) {
        return Arrays.stream(answers).filter(a -> a.code().equals(code)).findFirst();
    }

    /** The answers as one line of codes, for the audit entry: {@code data:basic,users:public,money:none}. */
    public String codes() {
        return "data:" + data.code() + ",users:" + users.code() + ",money:" + money.code();
    }
}
