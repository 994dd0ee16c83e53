package io.usher.core.pipeline;

import io.usher.core.spi.SourceUser;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A named predicate over source users, used to include or exclude users. The description appears in
 * previews and reports ("excluded by: kind in [GUEST]"). Immutable if its predicate is.
 */
public record UserFilter(String description, Predicate<SourceUser> predicate) {

    public UserFilter {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(predicate, "predicate");
    }

    public boolean test(SourceUser user) {
        return predicate.test(user);
    }

    /** Any value of the attribute matches the regex (whole value, case-insensitive). */
    public static UserFilter attributeMatches(String attribute, String regex) {
        Pattern p = Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return new UserFilter(attribute + " matches /" + regex + "/",
                u -> u.attribute(attribute).stream().anyMatch(v -> p.matcher(v).matches()));
    }

    /** Any value of the attribute equals the value exactly. */
    public static UserFilter attributeEquals(String attribute, String value) {
        return new UserFilter(attribute + " = '" + value + "'", u -> u.attribute(attribute).contains(value));
    }

    /** The attribute has at least one value. */
    public static UserFilter attributePresent(String attribute) {
        return new UserFilter(attribute + " present", u -> !u.attribute(attribute).isEmpty());
    }

    /** The source reports the user directly in a group whose name matches the regex (case-insensitive). */
    public static UserFilter memberOf(String groupNameRegex) {
        Pattern p = Pattern.compile(groupNameRegex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return new UserFilter("member of /" + groupNameRegex + "/",
                u -> u.groups().stream().anyMatch(g -> p.matcher(g).matches()));
    }

    /** The user's kind is one of these. */
    public static UserFilter kind(SourceUser.Kind... kinds) {
        Set<SourceUser.Kind> set = EnumSet.copyOf(Arrays.asList(kinds));
        return new UserFilter("kind in " + set, u -> set.contains(u.kind()));
    }

    /** The opposite of this filter ("not ..."). */
    public UserFilter negate() {
        return new UserFilter("not " + description, predicate.negate());
    }

    /** The user is active in the source. */
    public static UserFilter active() {
        return new UserFilter("active", SourceUser::active);
    }
}
