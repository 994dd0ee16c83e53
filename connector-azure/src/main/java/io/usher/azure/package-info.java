/** Microsoft Entra ID source connector over Microsoft Graph (snapshot, delta, nested groups). */
package io.usher.azure;
