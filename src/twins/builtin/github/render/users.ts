/** Users as GitHub's REST API writes them: `simple-user`, and `private-user` for `/user`. */
import type { GithubState, UserRecord } from "../state.js";
import type { Json, Urls } from "./urls.js";

export function simpleUser(urls: Urls, user: UserRecord | undefined): Json | null {
  if (!user) return null;
  const api = `${urls.api}/users/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: user.node_id,
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url: `${urls.html}/${user.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: "User",
    user_view_type: "public",
    site_admin: false,
  };
}

export function privateUser(urls: Urls, state: GithubState, user: UserRecord): Json {
  const owned = Object.values(state.repos).filter((repo) => repo.owner === user.login);
  const privateCount = owned.filter((repo) => repo.private).length;
  return {
    ...simpleUser(urls, user),
    user_view_type: "private",
    name: user.name,
    company: null,
    blog: "",
    location: null,
    email: user.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    notification_email: user.email,
    public_repos: owned.length - privateCount,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: user.created_at,
    updated_at: user.created_at,
    private_gists: 0,
    total_private_repos: privateCount,
    owned_private_repos: privateCount,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
  };
}
