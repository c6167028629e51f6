package knowledge

// NotModeratorNotice is the reply to anyone who is not a moderator trying to
// change the knowledge base. Adapters log each refused attempt, with the
// platform's user id and what was attempted.
const NotModeratorNotice = "Only this community's moderators can change the knowledge base. Nothing was changed."
