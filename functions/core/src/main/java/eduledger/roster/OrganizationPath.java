package eduledger.roster;

import java.util.Arrays;
import java.util.List;

/**
 * Where an object sits in the organization tree: the organization ids from the root (a district)
 * down to the object's own organization (for an organization, itself). Empty for an object that
 * names no organization. Encoded as {@code "district/school/"} so that everything under an
 * organization shares its encoded path as a key prefix.
 */
public record OrganizationPath(List<String> organizationIds) {
    /** Objects that name no organization share this tree root. */
    public static final String UNPLACED_ROOT = "~";

    public static final OrganizationPath UNPLACED = new OrganizationPath(List.of());

    public OrganizationPath {
        organizationIds = List.copyOf(organizationIds);
    }

    public String root() {
        return organizationIds.isEmpty() ? UNPLACED_ROOT : organizationIds.get(0);
    }

    public OrganizationPath then(String organizationId) {
        var ids = new java.util.ArrayList<>(organizationIds);
        ids.add(organizationId);
        return new OrganizationPath(ids);
    }

    public boolean contains(String organizationId) {
        return organizationIds.contains(organizationId);
    }

    public String encoded() {
        StringBuilder path = new StringBuilder();
        organizationIds.forEach(id -> path.append(id).append('/'));
        return path.toString();
    }

    public static OrganizationPath decode(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return UNPLACED;
        }
        return new OrganizationPath(
                Arrays.asList(encoded.substring(0, encoded.length() - 1).split("/")));
    }
}
