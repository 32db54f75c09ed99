"""JupyterHub configuration of the course (written next to hub.json by `python -m coursekit hub`).

Everything that varies (folders, ports, users) comes from hub.json beside this file; the
reasons for each setting are in coursekit/hub.py and the README ("Running a class on JupyterHub").
"""

import json
import os

c = get_config()  # noqa: F821 (provided by JupyterHub)
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "hub.json")) as f:
    s = json.load(f)

course, grader, env_bin = s["course_id"], s["grader"], os.path.join(s["env"], "bin")
members = s["students"] + [s["instructor"]]

c.JupyterHub.bind_url = f"http://127.0.0.1:{s['port']}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = s["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [s["proxy"]]
c.ConfigurableHTTPProxy.pid_file = os.path.join(s["state"], "proxy.pid")
c.JupyterHub.db_url = "sqlite:///" + os.path.join(s["state"], "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(s["state"], "cookie_secret")
c.JupyterHub.pid_file = os.path.join(s["state"], "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True

# Real local users, PAM passwords; only the roster (and any guest the hub also serves) may log in.
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set(members + s.get("guests", []))
c.Authenticator.admin_users = set()
# Someone dropped from the roster can no longer log in (the hub database is not a second roster).
c.Authenticator.allow_existing_users = False

c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [os.path.join(env_bin, "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {"PATH": env_bin + ":/usr/local/bin:/usr/bin:/bin", "SHALLOWNET_EXCHANGE": s["exchange"]}
# nbgrader's JupyterHubAuthPlugin asks the hub which nbgrader-<course> groups the user is in.
c.Spawner.server_token_scopes = [
    "users:activity!user",
    "access:servers!user",
    "read:users:name!user",
    "read:users:groups!user",
]
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120

# The course server: a single-user server under the grader account, reached at /services/<course>/.
c.JupyterHub.services = [
    {
        "name": course,
        "url": f"http://127.0.0.1:{s['service_port']}",
        "command": [os.path.join(env_bin, "jupyterhub-singleuser"), f"--ServerApp.root_dir={s['course_dir']}"],
        "user": grader,
        "cwd": s["course_dir"],
        "oauth_no_confirm": True,
        "environment": {
            "PATH": env_bin + ":/usr/local/bin:/usr/bin:/bin",
            "SHALLOWNET_EXCHANGE": s["exchange"],
            "JUPYTER_CONFIG_DIR": s["service_config"],
            "JUPYTERHUB_DEFAULT_URL": "/formgrader",
        },
    }
]
c.JupyterHub.load_groups = {
    f"nbgrader-{course}": {"users": members},
    # The grader account is a hub user only so that the formgrader's exchange listing (nbgrader's
    # JupyterHubAuthPlugin asks the hub for the grader's groups) finds the course; it cannot log in
    # (not in allowed_users, allow_existing_users off).
    f"formgrade-{course}": {"users": [s["instructor"], grader]},
}
c.JupyterHub.load_roles = [
    {
        "name": f"{course}-service",
        "services": [course],
        "scopes": ["read:users", "read:groups", "groups", "list:services"],
    },
    {"name": f"formgrade-{course}", "groups": [f"formgrade-{course}"], "scopes": [f"access:services!service={course}"]},
    {
        "name": f"nbgrader-{course}",
        "groups": [f"nbgrader-{course}"],
        "scopes": ["list:services", f"read:services!service={course}"],
    },
]
