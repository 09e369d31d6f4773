// Drives Gazette's REST API with a real third-party WordPress client, the npm package
// `wpapi`, for the Rust test `rest_api.rs`.
//
// Usage: node rest-client.js WPAPI_MODULE SITE_URL [USER APPLICATION_PASSWORD IMAGE]
// Discovers the API from the site's pages (the Link header), reads posts, one post,
// categories, tags, users and a post's comments, and posts a reader's comment without
// credentials; with credentials, publishes a post (and first tries without them) and
// uploads IMAGE; prints what it read and did as JSON on stdout.

const fs = require("fs");
const [modulePath, siteUrl, user, password, imagePath] = process.argv.slice(2);
if (!modulePath || !siteUrl) {
  console.error("usage: node rest-client.js WPAPI_MODULE SITE_URL");
  process.exit(2);
}
const WPAPI = require(modulePath);

async function main() {
  const wp = await WPAPI.discover(siteUrl);
  const posts = await wp.posts().perPage(2);
  const one = await wp.posts().id(posts[0].id);
  const bySlug = await wp.posts().slug(one.slug);
  const categories = await wp.categories().perPage(100);
  const inCategory = await wp.posts().categories(one.categories[0]).perPage(100);
  const tags = await wp.tags().perPage(100);
  const users = await wp.users();
  let missing = null;
  try {
    await wp.posts().id(999999);
  } catch (error) {
    missing = { code: error.code, status: error.data && error.data.status };
  }
  const next = await posts._paging.next.get();
  const comment = await wp.comments().create({
    post: one.id,
    author_name: "Ada Reader",
    author_email: "ada@example.org",
    content: "Sent by a reader through an app.",
  });
  const postComments = await wp.comments().forPost(one.id);
  let created = null;
  let anonymous = null;
  let uploaded = null;
  if (user && password) {
    try {
      await wp.posts().create({ title: "Not allowed", content: "<p>No.</p>" });
    } catch (error) {
      anonymous = { code: error.code, status: error.data && error.data.status };
    }
    const signedIn = new WPAPI({ endpoint: wp._options.endpoint, username: user, password });
    const post = await signedIn.posts().create({
      title: "Sent from a WordPress client",
      content: "<p>Written through the REST API.</p>",
      status: "publish",
    });
    created = { id: post.id, status: post.status, link: post.link, title: post.title.rendered };
    if (imagePath) {
      const media = await signedIn.media()
        .file(fs.readFileSync(imagePath), "harbour.png")
        .create({ alt_text: "The harbour" });
      uploaded = {
        id: media.id,
        source: media.source_url,
        alt: media.alt_text,
        width: media.media_details.width,
      };
    }
  }
  console.log(JSON.stringify({
    total: posts._paging.total,
    totalPages: posts._paging.totalPages,
    firstIds: posts.map((p) => p.id),
    nextIds: next.map((p) => p.id),
    one: { id: one.id, title: one.title.rendered, link: one.link, categories: one.categories },
    bySlug: bySlug.map((p) => p.id),
    categories: categories.map((c) => ({ id: c.id, slug: c.slug })),
    inCategory: inCategory.map((p) => p.categories),
    tags: tags.length,
    users: users.map((u) => u.slug),
    missing,
    comment: { id: comment.id, status: comment.status, post: comment.post },
    postComments: postComments.map((c) => c.id),
    anonymous,
    created,
    uploaded,
  }));
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : JSON.stringify(error));
  process.exit(1);
});
