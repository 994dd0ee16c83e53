package io.usher.scim.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.core.UsherException;
import io.usher.scim.ScimAuthenticator;
import io.usher.scim.ScimCaller;
import io.usher.scim.ScimException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SCIM 2.0 endpoints as one JAX-RS resource. Register it as a root resource (it answers below the
 * application's root) or return it from a sub-resource locator to mount it below a path of the host's own.
 * It needs no provider from the host: bodies are read and written as bytes, and every error, including a
 * failed authentication, an oversized or malformed body and an unknown path, becomes a SCIM Error body here.
 *
 * <p>Thread-safe; one instance serves all requests.
 */
@Path("/")
public final class ScimEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ScimEndpoint.class);
    public static final String SCIM_JSON = "application/scim+json";

    private final ScimService service;
    private final Settings settings;
    private final Gate gate;

    public ScimEndpoint(ScimService service) {
        this(service, Gate.open());
    }

    /** With the exposure checks (IP allow-list, rate limit) of {@code gate}. */
    public ScimEndpoint(ScimService service, Gate gate) {
        this.service = service;
        this.settings = service.settings();
        this.gate = gate;
    }

    /** What one handler gets: the parsed body (or null), the base URL, the headers. */
    record Call(ObjectNode body, String base, HttpHeaders headers, UriInfo uri) {
        String header(String name) {
            return headers.getHeaderString(name);
        }

        String query(String name) {
            return uri.getQueryParameters().getFirst(name);
        }
    }

    // ------------------------------------------------------------------ Users

    @GET
    @Path("Users")
    public Response listUsers(@Context HttpHeaders h, @Context UriInfo u) {
        return handle("GET", h, u, null, c -> ok(service.listUsers(listRequest(c), c.base)));
    }

    @POST
    @Path("Users")
    public Response createUser(@Context HttpHeaders h, @Context UriInfo u, InputStream body) {
        return handle("POST", h, u, body, c -> result(service.createUser(c.body, c.base)));
    }

    @POST
    @Path("Users/.search")
    public Response searchUsers(@Context HttpHeaders h, @Context UriInfo u, InputStream body) {
        return handle("POST", h, u, body, c -> ok(service.listUsers(ListRequest.fromSearch(c.body), c.base)));
    }

    @GET
    @Path("Users/{id}")
    public Response getUser(@PathParam("id") String id, @Context HttpHeaders h, @Context UriInfo u) {
        return handle("GET", h, u, null, c -> result(service.getUser(id, projection(c), c.header("If-None-Match"),
                c.base)));
    }

    @PUT
    @Path("Users/{id}")
    public Response replaceUser(@PathParam("id") String id, @Context HttpHeaders h, @Context UriInfo u,
                                InputStream body) {
        return handle("PUT", h, u, body, c -> result(service.replaceUser(id, c.body, c.header("If-Match"), c.base)));
    }

    @PATCH
    @Path("Users/{id}")
    public Response patchUser(@PathParam("id") String id, @Context HttpHeaders h, @Context UriInfo u,
                              InputStream body) {
        return handle("PATCH", h, u, body, c -> {
            ScimService.Result r = service.patchUser(id, c.body, c.header("If-Match"), c.base);
            Projection p = projection(c);
            return result(new ScimService.Result(r.status(), p.apply(r.body()), r.etag(), null));
        });
    }

    @DELETE
    @Path("Users/{id}")
    public Response deleteUser(@PathParam("id") String id, @Context HttpHeaders h, @Context UriInfo u) {
        return handle("DELETE", h, u, null, c -> result(service.deleteUser(id, c.header("If-Match"))));
    }

    // ------------------------------------------------------------------ Groups

    @GET
    @Path("Groups")
    public Response listGroups(@Context HttpHeaders h, @Context UriInfo u) {
        return handle("GET", h, u, null, c -> ok(service.listGroups(listRequest(c), c.base)));
    }

    @POST
    @Path("Groups")
    public Response createGroup(@Context HttpHeaders h, @Context UriInfo u, InputStream body) {
        return handle("POST", h, u, body, c -> result(service.createGroup(c.body, c.base)));
    }

    @POST
    @Path("Groups/.search")
    public Response searchGroups(@Context HttpHeaders h, @Context UriInfo u, InputStream body) {
        return handle("POST", h, u, body, c -> ok(service.listGroups(ListRequest.fromSearch(c.body), c.base)));
    }

    @GET
    @Path("Groups/{id}")
    public Response getGroup(@PathParam("id") String id, @Context HttpHeaders h, @Context UriInfo u) {
        return handle("GET", h, u, null, c -> result(service.getGroup(id, projection(c),
                c.header("If-None-Match"), c.base)));
    }

    @PUT
    @Path("Groups/{id}")
    public Response replaceGroup(@PathParam("id") String id, @Context HttpHeaders h, @Context UriInfo u,
                                 InputStream body) {
        return handle("PUT", h, u, body, c -> result(service.replaceGroup(id, c.body, c.header("If-Match"),
                c.base)));
    }

    /** 204 unless the client asks for attributes (a 200 then, with the projection). */
    @PATCH
    @Path("Groups/{id}")
    public Response patchGroup(@PathParam("id") String id, @Context HttpHeaders h, @Context UriInfo u,
                               InputStream body) {
        return handle("PATCH", h, u, body, c -> {
            boolean wantBody = c.query("attributes") != null || c.query("excludedAttributes") != null;
            return result(service.patchGroup(id, c.body, c.header("If-Match"), projection(c), wantBody, c.base));
        });
    }

    @DELETE
    @Path("Groups/{id}")
    public Response deleteGroup(@PathParam("id") String id, @Context HttpHeaders h, @Context UriInfo u) {
        return handle("DELETE", h, u, null, c -> result(service.deleteGroup(id, c.header("If-Match"))));
    }

    // ------------------------------------------------------------------ root search, bulk, discovery

    @POST
    @Path(".search")
    public Response search(@Context HttpHeaders h, @Context UriInfo u, InputStream body) {
        return handle("POST", h, u, body, c -> ok(service.searchAll(ListRequest.fromSearch(c.body), c.base)));
    }

    @POST
    @Path("Bulk")
    public Response bulk(@Context HttpHeaders h, @Context UriInfo u, InputStream body) {
        return handle("POST", h, u, body, c -> ok(new Bulk(service).execute(c.body, c.base)));
    }

    @GET
    @Path("ServiceProviderConfig")
    public Response serviceProviderConfig(@Context HttpHeaders h, @Context UriInfo u) {
        return handle("GET", h, u, null, c -> ok(Discovery.serviceProviderConfig(settings, c.base)));
    }

    @GET
    @Path("ResourceTypes")
    public Response resourceTypes(@Context HttpHeaders h, @Context UriInfo u) {
        return handle("GET", h, u, null, c -> ok(Discovery.list(List.of(Discovery.userType(c.base),
                Discovery.groupType(c.base)))));
    }

    @GET
    @Path("ResourceTypes/{name}")
    public Response resourceType(@PathParam("name") String name, @Context HttpHeaders h, @Context UriInfo u) {
        return handle("GET", h, u, null, c -> {
            if (name.equalsIgnoreCase("User")) {
                return ok(Discovery.userType(c.base));
            }
            if (name.equalsIgnoreCase("Group")) {
                return ok(Discovery.groupType(c.base));
            }
            throw ScimException.of(404, null, "no resource type '" + name + "'");
        });
    }

    @GET
    @Path("Schemas")
    public Response schemas(@Context HttpHeaders h, @Context UriInfo u) {
        return handle("GET", h, u, null, c -> ok(SchemaDocs.all(c.base)));
    }

    @GET
    @Path("Schemas/{id}")
    public Response schema(@PathParam("id") String id, @Context HttpHeaders h, @Context UriInfo u) {
        return handle("GET", h, u, null, c -> ok(SchemaDocs.one(id, c.base)));
    }

    // ------------------------------------------------------------------ anything else: a SCIM 404 / 405

    @GET
    @Path("{any: .*}")
    public Response unknownGet(@Context HttpHeaders h, @Context UriInfo u) {
        return unknown("GET", h, u);
    }

    @POST
    @Path("{any: .*}")
    public Response unknownPost(@Context HttpHeaders h, @Context UriInfo u) {
        return unknown("POST", h, u);
    }

    @PUT
    @Path("{any: .*}")
    public Response unknownPut(@Context HttpHeaders h, @Context UriInfo u) {
        return unknown("PUT", h, u);
    }

    @PATCH
    @Path("{any: .*}")
    public Response unknownPatch(@Context HttpHeaders h, @Context UriInfo u) {
        return unknown("PATCH", h, u);
    }

    @DELETE
    @Path("{any: .*}")
    public Response unknownDelete(@Context HttpHeaders h, @Context UriInfo u) {
        return unknown("DELETE", h, u);
    }

    private Response unknown(String method, HttpHeaders h, UriInfo u) {
        return handle(method, h, u, null, c -> {
            String path = relativePath(u);
            boolean known = path.matches("(?i)(Users|Groups)(/[^/]+)?|\\.search|Bulk|ServiceProviderConfig"
                    + "|ResourceTypes(/[^/]+)?|Schemas(/[^/]+)?|(Users|Groups)/\\.search");
            if (known) {
                throw ScimException.of(405, null, method + " is not supported on /" + path);
            }
            throw ScimException.of(404, null, "no SCIM endpoint at /" + path);
        });
    }

    // ------------------------------------------------------------------ plumbing

    private ListRequest listRequest(Call c) {
        return ListRequest.fromQuery(c.query("filter"), c.query("attributes"), c.query("excludedAttributes"),
                c.query("sortBy"), c.query("sortOrder"), c.query("startIndex"), c.query("count"));
    }

    private static Projection projection(Call c) {
        return Projection.of(c.query("attributes"), c.query("excludedAttributes"));
    }

    private Response ok(ObjectNode body) {
        return Response.ok(Json.write(body)).build();
    }

    private Response result(ScimService.Result r) {
        Response.ResponseBuilder b = Response.status(r.status());
        if (r.body() != null) {
            b.entity(Json.write(r.body()));
        }
        if (r.etag() != null) {
            b.header("ETag", r.etag());
        }
        if (r.location() != null) {
            b.header("Location", r.location());
        }
        return b.build();
    }

    /**
     * Authenticates, reads and parses the body (size-limited), runs the handler and turns every failure into a
     * SCIM Error response; the caller is set for audit while the handler runs.
     */
    private Response handle(String method, HttpHeaders h, UriInfo u, InputStream body, Function<Call, Response> fn) {
        MediaType type = responseType(h);
        try {
            String path = relativePath(u);
            ScimAuthenticator.Request req = new ScimAuthenticator.Request() {
                @Override public String header(String name) { return h.getHeaderString(name); }
                @Override public String method() { return method; }
                @Override public String path() { return path; }
            };
            gate.checkClient(h);
            Optional<ScimCaller> caller = settings.authenticator().authenticate(req);
            if (caller.isEmpty()) {
                return error(ScimException.of(401, null, "authentication required: a valid bearer token"), type)
                        .header("WWW-Authenticate", challenge(h)).build();
            }
            long retryAfter = gate.retryAfter(caller.get());
            if (retryAfter > 0) {
                return error(ScimException.of(429, null, "too many requests from this client; retry after "
                        + retryAfter + " seconds"), type).header("Retry-After", Long.toString(retryAfter)).build();
            }
            Access.checkShape(u.getPath(false), u.getPath(true));
            Access.Need need = Access.of(method, path);
            Access.check(need, caller.get(), method, path);
            CallerContext.enter(caller.get(), settings.requestIds().get());
            try {
                ObjectNode parsed = null;
                if (body != null) {
                    checkContentType(h);
                    String length = h.getHeaderString("Content-Length");
                    if (length != null && length.trim().matches("\\d{1,18}")
                            && Long.parseLong(length.trim()) > settings.maxPayloadBytes()) {
                        throw ScimException.of(413, null, "the request body is larger than "
                                + settings.maxPayloadBytes() + " bytes");
                    }
                    parsed = Json.parseObject(Json.readLimited(body, settings.maxPayloadBytes()));
                }
                if (need == Access.Need.BULK) {
                    Access.checkBulk(caller.get(), parsed);
                }
                Response r = fn.apply(new Call(parsed, base(u), h, u));
                Response.ResponseBuilder b = Response.fromResponse(r);
                if (r.hasEntity()) {
                    b.type(type);
                }
                return b.build();
            } finally {
                CallerContext.leave();
            }
        } catch (ScimException e) {
            if (e.status() >= 500) {
                LOG.warn("SCIM {} failed with {}", method, e.status(), e.getCause());
            }
            Response.ResponseBuilder r = error(e, type);
            if (e.status() == 401) {
                r.header("WWW-Authenticate", challenge(h));
            }
            return r.build();
        } catch (UsherException e) {
            return error(Errors.from(e), type).build();
        } catch (RuntimeException e) {
            return error(Errors.unexpected(e), type).build();
        }
    }

    /**
     * The 401 challenge (RFC 6750 §3): {@code error="invalid_token"} when a bearer token was presented and
     * refused, nothing more when none was.
     */
    private static String challenge(HttpHeaders h) {
        String auth = h.getHeaderString("Authorization");
        boolean presented = auth != null && auth.trim().regionMatches(true, 0, "Bearer ", 0, 7);
        return presented ? "Bearer realm=\"SCIM\", error=\"invalid_token\"" : "Bearer realm=\"SCIM\"";
    }

    private static Response.ResponseBuilder error(ScimException e, MediaType type) {
        return Response.status(e.status()).type(type).entity(Json.write(Errors.body(e)));
    }

    /** application/scim+json, unless the client accepts only application/json. */
    private static MediaType responseType(HttpHeaders h) {
        String accept = h.getHeaderString("Accept");
        if (accept != null) {
            String a = accept.toLowerCase(Locale.ROOT);
            if (a.contains("application/json") && !a.contains("scim+json") && !a.contains("*/*")) {
                return MediaType.APPLICATION_JSON_TYPE;
            }
        }
        return MediaType.valueOf(SCIM_JSON);
    }

    private static void checkContentType(HttpHeaders h) {
        MediaType t = h.getMediaType();
        if (t == null) {
            return; // lenient: a body without a type is read as SCIM JSON
        }
        String sub = t.getSubtype().toLowerCase(Locale.ROOT);
        if (t.getType().equalsIgnoreCase("application") && (sub.equals("scim+json") || sub.equals("json"))) {
            return;
        }
        throw ScimException.of(415, null, "the request body must be application/scim+json or application/json");
    }

    /** The SCIM root URL: the configured base, or the URL below which this resource was matched. */
    private String base(UriInfo u) {
        if (settings.baseUri() != null) {
            return settings.baseUri();
        }
        String root = rootPath(u);
        String b = u.getBaseUri().toString();
        if (!b.endsWith("/")) {
            b += "/";
        }
        String out = b + root;
        return out.endsWith("/") ? out.substring(0, out.length() - 1) : out;
    }

    /** The path of this resource's root below the application (empty when registered as a root resource). */
    private static String rootPath(UriInfo u) {
        List<String> matched = u.getMatchedURIs(true);
        String root = matched.size() > 1 ? matched.get(1) : "";
        return strip(root);
    }

    private static String relativePath(UriInfo u) {
        String root = rootPath(u);
        String p = strip(u.getPath(true));
        if (!root.isEmpty() && p.startsWith(root)) {
            p = strip(p.substring(root.length()));
        }
        return p;
    }

    private static String strip(String s) {
        String out = s;
        while (out.startsWith("/")) {
            out = out.substring(1);
        }
        while (out.endsWith("/")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }
}
