"""The control room's prompts as a Dagster job: a sensor looks every minute for messages whose update or
closure is due, and the job prompts their inspectors (services.prompts), whether or not the web app runs."""

import dagster as dg

from services.prompts import due_prompts, send_prompts

from .resources import InstallationResource
from .sync_assets import _in_one_line


@dg.op(description="Prompt the inspectors of every message whose update or closure is due.")
def prompt_inspectors(context: dg.OpExecutionContext, stakeholders: InstallationResource) -> None:
    with _in_one_line(), stakeholders.open_installation(context.log.info) as installation:
        stem = "prompts-" + context.run_id[:8]
        sent = send_prompts(installation, installation.delivery.prompt_channel(stem), context.log.info)
    context.log.info(f"{len(sent)} message(s) prompted")


@dg.job(description="Prompt inspectors about overdue updates and closures.")
def message_prompts() -> None:
    prompt_inspectors()


@dg.sensor(job=message_prompts, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING,
           description="Every minute: starts message_prompts when a message's update or closure falls due.")
def messages_due(context: dg.SensorEvaluationContext, stakeholders: InstallationResource):
    with stakeholders.open_installation() as installation:
        due = due_prompts(installation)
    if not due:
        return dg.SkipReason("no update or closure due")
    return dg.RunRequest(run_key=";".join(sorted(f"{p.message.message_id}:{p.key}" for p in due)))
