package dev.liffey.cdk.fleet;

import software.amazon.awscdk.services.ec2.UserData;

/** A fleet's boot script as EC2 user data: {@link UserData#forLinux()} adds the shebang. */
public final class UserDataScript {
  private UserDataScript() {}

  /** {@code script}, without its shebang, one user-data command a line. */
  public static UserData of(String script) {
    UserData userData = UserData.forLinux();
    userData.addCommands(script.split("\n", -1));
    return userData;
  }
}
