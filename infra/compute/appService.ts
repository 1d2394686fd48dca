import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FargateTask, FargateTaskArgs } from "./fargateTask";

export interface AppScaling {
  minTasks: number;
  maxTasks: number;
  /** Average service CPU the tracking policy holds. */
  cpuTargetPercent?: number;
  /** ALB requests per task per minute the tracking policy holds. */
  requestsPerTargetPerMinute?: number;
  scaleInCooldownSeconds?: number;
  scaleOutCooldownSeconds?: number;
}

export interface AppServiceArgs {
  clusterArn: pulumi.Input<string>;
  /** Literal cluster name (the autoscaling resource id is `service/<cluster>/<service>`). */
  clusterName: string;
  serviceName: string;
  /** The task; its container must declare `port`. */
  task: FargateTaskArgs;
  /** Private subnets, one per availability zone: Fargate spreads the tasks across them. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  securityGroupIds: pulumi.Input<string>[];
  targetGroup: { arn: pulumi.Input<string>; arnSuffix: pulumi.Input<string> };
  loadBalancerArnSuffix: pulumi.Input<string>;
  scaling: AppScaling;
  healthCheckGracePeriodSeconds?: number;
  /** ECS Exec (a shell in production tasks) is an explicit opt-in. */
  enableExecuteCommand?: boolean;
  /** `pulumi up` waits until the deployment is stable (and fails when the circuit breaker rolls back). */
  waitForSteadyState?: boolean;
  /** Resources that must exist before the service (e.g. the listener that attaches its target group). */
  waitFor?: pulumi.Input<pulumi.Resource>[];
}

export const DEFAULT_SCALING = { cpuTargetPercent: 60, requestsPerTargetPerMinute: 1000, scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 60 } as const;

/**
 * One app behind the load balancer: a Fargate service in private subnets without public IPs,
 * registered in its target group, rolled back by the deployment circuit breaker, and scaled by target
 * tracking on CPU and on requests per task.
 */
export class AppService extends pulumi.ComponentResource {
  public readonly task: FargateTask;
  public readonly serviceName: string;
  public readonly serviceArn: pulumi.Output<string>;

  constructor(name: string, args: AppServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("catalyst:compute:AppService", name, {}, opts);
    const port = args.task.container.port;
    if (port === undefined) throw new Error(`${name}: the app container must declare its port`);
    const { minTasks, maxTasks } = args.scaling;
    if (!(Number.isInteger(minTasks) && minTasks >= 1 && maxTasks >= minTasks))
      throw new Error(`${name}: scaling needs 1 <= minTasks <= maxTasks (got ${minTasks}..${maxTasks})`);
    const child = { parent: this };

    this.task = new FargateTask(`${name}-task`, args.task, child);
    const service = new aws.ecs.Service(
      `${name}-service`,
      {
        name: args.serviceName,
        cluster: args.clusterArn,
        taskDefinition: this.task.taskDefinitionArn,
        desiredCount: minTasks,
        launchType: "FARGATE",
        platformVersion: "LATEST",
        networkConfiguration: { subnets: args.subnetIds, securityGroups: args.securityGroupIds, assignPublicIp: false },
        loadBalancers: [{ targetGroupArn: args.targetGroup.arn, containerName: this.task.containerName, containerPort: port }],
        healthCheckGracePeriodSeconds: args.healthCheckGracePeriodSeconds ?? 60,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        deploymentMinimumHealthyPercent: 100,
        deploymentMaximumPercent: 200,
        availabilityZoneRebalancing: "ENABLED",
        enableExecuteCommand: args.enableExecuteCommand ?? false,
        enableEcsManagedTags: true,
        propagateTags: "SERVICE",
        waitForSteadyState: args.waitForSteadyState ?? true,
      },
      // Autoscaling owns the running count after creation; a deploy must not reset it to the minimum.
      { ...child, dependsOn: args.waitFor, ignoreChanges: ["desiredCount"] },
    );

    const target = new aws.appautoscaling.Target(
      `${name}-scaling`,
      {
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        resourceId: pulumi.interpolate`service/${args.clusterName}/${service.name}`,
        minCapacity: minTasks,
        maxCapacity: maxTasks,
      },
      child,
    );
    const tracking = { ...DEFAULT_SCALING, ...definedOnly(args.scaling) };
    const trackingPolicy = (
      role: string,
      targetValue: number,
      metric: aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification,
    ) =>
      new aws.appautoscaling.Policy(
        `${name}-scale-on-${role}`,
        {
          policyType: "TargetTrackingScaling",
          serviceNamespace: target.serviceNamespace,
          scalableDimension: target.scalableDimension,
          resourceId: target.resourceId,
          targetTrackingScalingPolicyConfiguration: {
            targetValue,
            predefinedMetricSpecification: metric,
            scaleInCooldown: tracking.scaleInCooldownSeconds,
            scaleOutCooldown: tracking.scaleOutCooldownSeconds,
          },
        },
        child,
      );
    trackingPolicy("cpu", tracking.cpuTargetPercent, { predefinedMetricType: "ECSServiceAverageCPUUtilization" });
    trackingPolicy("requests", tracking.requestsPerTargetPerMinute, {
      predefinedMetricType: "ALBRequestCountPerTarget",
      resourceLabel: pulumi.interpolate`${args.loadBalancerArnSuffix}/${args.targetGroup.arnSuffix}`,
    });

    this.serviceName = args.serviceName;
    this.serviceArn = service.arn;
    this.registerOutputs({ serviceName: this.serviceName, serviceArn: this.serviceArn, taskDefinitionArn: this.task.taskDefinitionArn });
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
